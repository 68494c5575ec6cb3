import cliProgress from "cli-progress";

export interface Progress {
  tick(): void;
  stop(): void;
}

/**
 * A progress bar on stderr, so stdout stays clean for the summary. cli-progress draws nothing
 * when stderr is not a terminal (CI, pipes), which is what those want.
 */
export function startProgress(label: string, total: number, unit: string): Progress {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} ${unit} | {percentage}% | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: () => bar.increment(), stop: () => bar.stop() };
}
