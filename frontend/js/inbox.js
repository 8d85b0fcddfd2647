// Keyboard shortcuts for the inbox (progressive enhancement: every action also works without them).
//
//   list page   j / k    focus the next / previous message (its "open" link)
//               x        tick or untick the focused message
//               Enter    open it (the focused link does that natively)
//               a        go to "Assign to" of the bulk form (and choose the assign action)
//   message     a        go to the assign form's person (or "Assign to me" for those who only take messages)
//
// Shortcuts never fire while typing in a field, with a modifier key held, or when the page has no
// such element. Rows are marked in the template: data-inbox-row, data-inbox-open, data-inbox-pick.
(function () {
  "use strict";

  function typing(target) {
    if (!target || !(target instanceof Element)) return false;
    if (target.isContentEditable) return true;
    return /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && target.type !== "checkbox" && target.type !== "radio";
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-inbox-row]"));
  }

  function currentIndex(list) {
    var active = document.activeElement;
    for (var i = 0; i < list.length; i++) {
      if (list[i].contains(active)) return i;
    }
    return -1;
  }

  function focusRow(list, index) {
    if (!list.length) return;
    var row = list[Math.max(0, Math.min(list.length - 1, index))];
    var link = row.querySelector("[data-inbox-open]");
    if (link) {
      link.focus();
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function focusAssign() {
    var person = document.getElementById("bulk-assignee");
    if (person) {
      var action = document.getElementById("bulk-action");
      if (action && !action.value) action.value = "assign";
      person.focus();
      return true;
    }
    person = document.getElementById("assign-assignee") || document.querySelector("[data-inbox-assign]");
    if (person) {
      person.focus();
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (typing(event.target)) return;
    var list = rows();
    var index = currentIndex(list);
    switch (event.key) {
      case "j":
        if (!list.length) return;
        focusRow(list, index + 1);
        break;
      case "k":
        if (!list.length) return;
        focusRow(list, index < 0 ? 0 : index - 1);
        break;
      case "x": {
        if (index < 0) return;
        var box = list[index].querySelector("[data-inbox-pick]");
        if (!box) return;
        box.checked = !box.checked;
        box.dispatchEvent(new Event("change", { bubbles: true }));
        break;
      }
      case "a":
        if (!focusAssign()) return;
        break;
      default:
        return;
    }
    event.preventDefault();
  });
})();
