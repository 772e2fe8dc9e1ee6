/** `.sql` files are imported as their text (esbuild `loader: { ".sql": "text" }`, and the test config). */
declare module "*.sql" {
  const text: string;
  export default text;
}
