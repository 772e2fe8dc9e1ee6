/** Collects what a gateway writes to tsgi.errors, for drivers' `takeErrors`. Platform-neutral. */
export interface ErrorLog {
  /** Appends one line. */
  line(text: string): void;
  /** What was written since the last call; waits a moment first, since logging may trail a response. */
  take(): Promise<string>;
}

export function errorLog(): ErrorLog {
  let text = "";
  return {
    line: (line) => {
      text += `${line}\n`;
    },
    async take() {
      // close() and the error log run just after the last byte went out.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const taken = text;
      text = "";
      return taken;
    },
  };
}
