/**
 * A module (or anything costly) loaded on first use and kept: an edge isolate starts
 * for whatever request came, so what only some requests need is not paid for before
 * the first answer (the strength estimator's dictionaries, the WebAuthn library, the QR
 * encoder, the phone-number metadata, the SMTP client).
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    loading ??= load().catch((error) => {
      // A failed load is tried again by the next caller, not remembered.
      loading = undefined;
      throw error;
    });
}
