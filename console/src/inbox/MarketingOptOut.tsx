import { useQuery } from "urql";
import { ThreadMarketingOptOutDocument } from "../generated/graphql.ts";
import { when } from "../words.ts";

/** Whether the user of a conversation stopped marketing messages (user_preferences): Meta refuses marketing templates to them. */
export function MarketingOptOut({ threadId }: { threadId: string }) {
  const [result] = useQuery({ query: ThreadMarketingOptOutDocument, variables: { id: threadId } });
  const optOut = result.data?.thread?.contact.marketingOptOut;
  if (!optOut?.optedOut) return null;
  return (
    <p className="opt-out">
      <span className="badge tone-warn">No marketing</span> Stopped marketing messages on {when(optOut.at)}: marketing templates are refused.
    </p>
  );
}
