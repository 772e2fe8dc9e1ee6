/**
 * Before the node tests: build AWS's Lambda runtime client (aws-lambda-ric) into .cache/ric for the
 * end-to-end Lambda test, when this machine has the tools it compiles with. It is not a dependency
 * (npm install must work without a compiler); a machine without the tools skips that test visibly.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const TOOLS = ["autoconf", "automake", "libtoolize", "cmake", "make", "g++"];

export default function setup(): void {
  if (existsSync(".cache/ric/node_modules/aws-lambda-ric/rapid-client.node")) return;
  const missing = TOOLS.filter((tool) => {
    try {
      execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length) {
    console.warn(
      `tsgi: not building aws-lambda-ric (missing ${missing.join(", ")}); its end-to-end test is skipped`,
    );
    return;
  }
  console.warn(
    "tsgi: building aws-lambda-ric into .cache/ric for the end-to-end Lambda test (once, about a minute)",
  );
  try {
    execFileSync("bash", [".ci/install-ric"], { stdio: "inherit", timeout: 600_000 });
  } catch (error) {
    console.warn(`tsgi: building aws-lambda-ric failed: ${String(error)}`);
  }
}
