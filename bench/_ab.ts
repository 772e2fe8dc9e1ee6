import { runLambda } from "/work/wt/bench/bench/sections/lambda.ts";
const r = await runLambda(Number(process.argv[2] ?? 3), Number(process.argv[3] ?? 200), console.log);
for (const k of ["v1","v2","alb"] as const) for (const a of ["hello","echo"] as const) {
  const c = r[k][a];
  console.log(k, a, "tsgi/raw", c.tsgi.handlerRatio.toFixed(2), "runtime", c.tsgi.runtimeRatio.toFixed(2),
    "best peer/tsgi", Math.min(c["serverless-express"].handlerRatio, c["serverless-http"].handlerRatio, c.hono.handlerRatio) / c.tsgi.handlerRatio);
}
