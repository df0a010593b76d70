// esbuild's text loader makes a sample's bytes the default export (see scripts/build.mjs).
declare module '*.yaml' {
  const text: string;
  export default text;
}
