/**
 * `npm run fuzz`: the long run of the raw-HTTP fuzzer (20,000 cases by default; `FUZZ_CASES` and
 * `FUZZ_SEED` change it). Prints the figures and exits 1 on any failure.
 */
import { runFuzz } from "./harness.ts";

const count = Number(process.env.FUZZ_CASES ?? 20_000);
const seed = Number(process.env.FUZZ_SEED ?? 11);
const report = await runFuzz({
  seed,
  count,
  onProgress: (done) => {
    if (done % 2000 === 0) process.stderr.write(`fuzz: ${done} of ${count} cases\n`);
  },
});
const { failures, ...figures } = report;
console.log(JSON.stringify(figures, null, 2));
for (const failure of failures.slice(0, 40)) console.log(JSON.stringify(failure));
if (failures.length > 40) console.log(`... and ${failures.length - 40} more failures`);
process.exit(failures.length || report.crashes || report.unhandledRejections ? 1 : 0);
