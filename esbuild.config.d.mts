/** Types of esbuild.config.mjs, for the TypeScript that imports it (scripts/, tests). */
export declare const EXAMPLES: string[];
/** Where the bundles go by default (build/examples). */
export declare const OUTDIR: string;
export type Target = "lambda" | "worker" | "node";
export declare const TARGETS: Record<Target, { entry: string; out: string }>;
export interface BuiltFile {
  file: string;
  bytes: number;
  /** Undefined for a zip. */
  gzip: number | undefined;
}
export declare function buildExample(example: string, target: Target, outdir?: string): Promise<BuiltFile[]>;
export declare function hasTarget(example: string, target: Target): boolean;
export declare function buildAll(outdir?: string): Promise<BuiltFile[]>;
export declare function zipFiles(files: Array<{ name: string; data: Uint8Array }>): Buffer;
