/**
 * A software WebAuthn authenticator for tests: a WebCrypto P-256 key pair, authenticator
 * data, `none` attestation in CBOR, client data JSON, DER signatures. It lets the tests
 * drive registration and login through `app.request` with real verification.
 */
import { toBase64Url, utf8 } from "../../lib/runtime/encoding.ts";

type Cbor = number | string | Uint8Array | Cbor[] | Map<Cbor, Cbor>;

function head(major: number, length: number): number[] {
  if (length < 24) return [(major << 5) | length];
  if (length < 256) return [(major << 5) | 24, length];
  if (length < 65536) return [(major << 5) | 25, length >> 8, length & 0xff];
  return [
    (major << 5) | 26,
    ...new Uint8Array(new Uint32Array([length]).buffer).reverse(),
  ];
}

/** Deterministic CBOR of the few types WebAuthn uses. */
function cbor(value: Cbor): number[] {
  if (typeof value === "number") {
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }
  if (typeof value === "string") {
    const bytes = utf8(value);
    return [...head(3, bytes.length), ...bytes];
  }
  if (value instanceof Uint8Array) return [...head(2, value.length), ...value];
  if (Array.isArray(value)) {
    return [...head(4, value.length), ...value.flatMap(cbor)];
  }
  return [
    ...head(5, value.size),
    ...[...value].flatMap(([key, item]) => [...cbor(key), ...cbor(item)]),
  ];
}

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

const sha256 = async (bytes: Uint8Array) =>
  new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );

/** ECDSA raw r||s to the DER form WebAuthn carries (RFC 3279). */
function derSignature(raw: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    let body = bytes.slice(start);
    if (body[0] & 0x80) body = concat(new Uint8Array([0]), body);
    return concat(new Uint8Array([0x02, body.length]), body);
  };
  const sequence = concat(integer(raw.slice(0, 32)), integer(raw.slice(32)));
  return concat(new Uint8Array([0x30, sequence.length]), sequence);
}

/** Options of one ceremony: what a real or hostile environment would change. */
export interface CeremonyOptions {
  origin?: string;
  rpId?: string;
  userVerified?: boolean;
  /** A signature of junk bytes: what somebody who knows only the credential id sends. */
  forgedSignature?: boolean;
}

/** A software authenticator holding one credential. */
export interface SoftwareAuthenticator {
  credentialId: string;
  /** The next signature counter the authenticator will report. */
  counter: number;
  register(
    options: { challenge: string; user: { id: string } },
    ceremony?: CeremonyOptions,
  ): Promise<Record<string, unknown>>;
  assert(
    options: { challenge: string },
    ceremony?: CeremonyOptions,
  ): Promise<Record<string, unknown>>;
}

/** A new authenticator for `rpId` and `origin` (defaults: the development ones). */
export async function createSoftwareAuthenticator(
  defaults: {
    rpId?: string;
    origin?: string;
    counterStart?: number;
    credentialIdBytes?: number;
  } = {},
): Promise<SoftwareAuthenticator> {
  const keys = await crypto.subtle.generateKey(
    { name: "ECDSA", namedCurve: "P-256" },
    true,
    ["sign", "verify"],
  ) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey("jwk", keys.publicKey);
  const decode = (text: string) =>
    Uint8Array.from(
      atob(text.replaceAll("-", "+").replaceAll("_", "/")),
      (c) => c.charCodeAt(0),
    );
  const coseKey = new Uint8Array(cbor(
    new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, decode(jwk.x!)], [
      -3,
      decode(jwk.y!),
    ]]),
  ));
  const rawId = crypto.getRandomValues(
    new Uint8Array(defaults.credentialIdBytes ?? 16),
  );
  const credentialId = toBase64Url(rawId);
  let userHandle = "";

  const authenticatorData = async (
    ceremony: CeremonyOptions,
    counter: number,
    attested: Uint8Array | null,
  ) => {
    const rpIdHash = await sha256(
      utf8(ceremony.rpId ?? defaults.rpId ?? "localhost"),
    );
    const userVerified = ceremony.userVerified ?? true;
    const flags = 0x01 | (userVerified ? 0x04 : 0) | (attested ? 0x40 : 0);
    const count = new Uint8Array(4);
    new DataView(count.buffer).setUint32(0, counter);
    return concat(
      rpIdHash,
      new Uint8Array([flags]),
      count,
      attested ?? new Uint8Array(),
    );
  };
  const clientData = (
    type: string,
    challenge: string,
    ceremony: CeremonyOptions,
  ) =>
    utf8(JSON.stringify({
      type,
      challenge,
      origin: ceremony.origin ?? defaults.origin ?? "http://localhost:8000",
      crossOrigin: false,
    }));

  const authenticator: SoftwareAuthenticator = {
    credentialId,
    counter: defaults.counterStart ?? 1,
    async register(options, ceremony = {}) {
      userHandle = options.user.id;
      const idLength = new Uint8Array([rawId.length >> 8, rawId.length & 0xff]);
      const attested = concat(new Uint8Array(16), idLength, rawId, coseKey);
      const authData = await authenticatorData(ceremony, 0, attested);
      const attestationObject = new Uint8Array(cbor(
        new Map<Cbor, Cbor>([["fmt", "none"], ["attStmt", new Map()], [
          "authData",
          authData,
        ]]),
      ));
      return {
        id: credentialId,
        rawId: credentialId,
        type: "public-key",
        response: {
          clientDataJSON: toBase64Url(
            clientData("webauthn.create", options.challenge, ceremony),
          ),
          attestationObject: toBase64Url(attestationObject),
          transports: ["internal"],
        },
        clientExtensionResults: {},
        authenticatorAttachment: "platform",
      };
    },
    async assert(options, ceremony = {}) {
      const authData = await authenticatorData(
        ceremony,
        authenticator.counter,
        null,
      );
      authenticator.counter++;
      const clientDataJSON = clientData(
        "webauthn.get",
        options.challenge,
        ceremony,
      );
      const signed = concat(authData, await sha256(clientDataJSON));
      const raw = ceremony.forgedSignature
        ? crypto.getRandomValues(new Uint8Array(64))
        : new Uint8Array(
          await crypto.subtle.sign(
            { name: "ECDSA", hash: "SHA-256" },
            keys.privateKey,
            signed,
          ),
        );
      return {
        id: credentialId,
        rawId: credentialId,
        type: "public-key",
        response: {
          clientDataJSON: toBase64Url(clientDataJSON),
          authenticatorData: toBase64Url(authData),
          signature: toBase64Url(derSignature(raw)),
          userHandle,
        },
        clientExtensionResults: {},
        authenticatorAttachment: "platform",
      };
    },
  };
  return authenticator;
}
