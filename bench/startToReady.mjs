// Start-to-ready of the compiled server: ms from spawning `node dist/main.js` to /readyz answering 200,
// N runs on an already-migrated database, median. Usage: node bench/startToReady.mjs <DATABASE_URL> [runs]
import { spawn } from "node:child_process";
const [, , url, runs = "5"] = process.argv;
const times = [];
for (let i = 0; i < Number(runs); i++) {
  const t0 = performance.now();
  const child = spawn(process.execPath, ["--liftoff-only", "--heap-growing-percent=100", "--v8-pool-size=1", "dist/main.js"], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: "0",
      HOST: "127.0.0.1",
      NODE_ENV: "test",
      WHATSAPP_APP_SECRET: "s",
      WHATSAPP_VERIFY_TOKEN: "v",
      API_TOKENS: "t",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const addr = await new Promise((resolve) => {
    let b = "";
    child.stdout.on("data", (c) => {
      b += c;
      const m = /"url":"([^"]+)"/.exec(b);
      if (m) resolve(m[1]);
    });
  });
  for (;;) {
    const r = await fetch(addr + "/readyz").catch(() => null);
    if (r?.status === 200) break;
  }
  times.push(performance.now() - t0);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ url, runs: times.map((t) => Math.round(t)), median: Math.round(times[Math.floor(times.length / 2)]) }));
