import { serve } from "./serve.ts";

// The process shell for `npm start`; the `hub` CLI's `serve` command runs the same.
await serve();
