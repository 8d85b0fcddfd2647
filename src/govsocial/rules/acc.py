"""PLACEHOLDER: replaced by the real rules of this family."""

from __future__ import annotations

from collections.abc import Iterator

from govsocial.model import Post
from govsocial.rules.base import CheckEnv, Hit, Rule


class ImageWithoutAltText(Rule):
    """TODO."""

    code = "ACC101"
    name = "image-without-alt-text"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class AltTextNotMeaningful(Rule):
    """TODO."""

    code = "ACC102"
    name = "alt-text-not-meaningful"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class VideoWithoutCaptions(Rule):
    """TODO."""

    code = "ACC201"
    name = "video-without-captions"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class AudioWithoutTranscript(Rule):
    """TODO."""

    code = "ACC202"
    name = "audio-without-transcript"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class HashtagNotCamelCase(Rule):
    """TODO."""

    code = "ACC301"
    name = "hashtag-not-camel-case"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class HashtagsInSentence(Rule):
    """TODO."""

    code = "ACC302"
    name = "hashtags-in-sentence"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class EmojiOveruse(Rule):
    """TODO."""

    code = "ACC401"
    name = "emoji-overuse"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class TextEmoticon(Rule):
    """TODO."""

    code = "ACC402"
    name = "text-emoticon"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())


class AllCaps(Rule):
    """TODO."""

    code = "ACC403"
    name = "all-caps"

    def check(self, post: Post, env: CheckEnv) -> Iterator[Hit]:
        return iter(())
