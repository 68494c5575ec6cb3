// autocannon ships no types (and @types/autocannon is not a dependency); the bench uses a small part of it.
declare module "autocannon" {
  const autocannon: (opts: Record<string, unknown>) => Promise<any>;
  export default autocannon;
}
