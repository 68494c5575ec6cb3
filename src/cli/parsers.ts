import { InvalidArgumentError } from "commander";

/** Commander option parsers: a bad value is reported by commander with the option's name. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number of at least 1");
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError("expected a whole number (0 or more)");
  return n;
}

export function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError("expected a URL such as http://localhost:4000");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new InvalidArgumentError("expected an http:// or https:// URL");
  return value;
}

/** Meta's ids and numbers are digit strings. */
export function digitString(value: string): string {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected digits only");
  return value;
}
