// Wrangler bundles the tracker as a Text module: its default export is the file's text.
declare module "@sightline/tracker/dist/s.js" {
  const source: string;
  export default source;
}
