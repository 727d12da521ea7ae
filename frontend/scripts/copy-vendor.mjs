// Copies the browser builds of the npm packages into static/vendor, where Django serves them.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const target = join(root, "static", "vendor");
const files = {
  "hls.js/dist/hls.min.js": "hls.min.js",
  // hls.min.js names its source map; the hashed static files storage needs it to exist.
  "hls.js/dist/hls.min.js.map": "hls.min.js.map",
  "htmx.org/dist/htmx.min.js": "htmx.min.js",
  "sortablejs/Sortable.min.js": "Sortable.min.js",
};

mkdirSync(target, { recursive: true });
for (const [source, name] of Object.entries(files)) {
  copyFileSync(join(root, "node_modules", source), join(target, name));
}
console.log(`copied ${Object.keys(files).length} front-end packages to ${target}`);
