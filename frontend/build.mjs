// Builds the agency workspace's front-end into src/govsocial/web/static (committed, so a machine
// without node runs the app):
//   scss/app.scss                      -> govsocial/app.css (GOV.UK Frontend, no crest, no GDS Transport)
//   govuk-frontend/dist/govuk/*.min.js -> govuk/govuk-frontend.min.js
//   htmx.org/dist/htmx.min.js          -> htmx/htmx.min.js
//   js/inbox.js                        -> govsocial/inbox.js (the inbox's keyboard shortcuts, as written)
// GOV.UK Frontend's images all carry the crown or the crest and its fonts are GDS Transport: both are
// reserved for GOV.UK, so none are copied. axe-core stays in node_modules for the browser tests.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const staticDir = join(here, "..", "src", "govsocial", "web", "static");

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  console.log(`copied ${to.slice(staticDir.length + 1)}`);
}

const css = sass.compile(join(here, "scss", "app.scss"), {
  loadPaths: [modules],
  style: "compressed",
  sourceMap: false,
  quietDeps: true,
});
if (/GDS Transport|govuk-crest|\/fonts\//.test(css.css)) {
  throw new Error("app.css refers to the GOV.UK font or crest");
}
mkdirSync(join(staticDir, "govsocial"), { recursive: true });
writeFileSync(join(staticDir, "govsocial", "app.css"), css.css + "\n");
console.log(`compiled govsocial/app.css (${css.css.length} bytes)`);

rmSync(join(staticDir, "govuk"), { recursive: true, force: true });
const govuk = join(modules, "govuk-frontend", "dist", "govuk");
copy(join(govuk, "govuk-frontend.min.js"), join(staticDir, "govuk", "govuk-frontend.min.js"));
copy(join(modules, "htmx.org", "dist", "htmx.min.js"), join(staticDir, "htmx", "htmx.min.js"));
copy(join(here, "js", "inbox.js"), join(staticDir, "govsocial", "inbox.js"));
