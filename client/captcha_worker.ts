/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/** The widget's SHA-256 proof-of-work worker, served from this origin. */
import "altcha/workers/sha";
