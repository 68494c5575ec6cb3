/** The two GraphQL requests of the reads benchmark (a dashboard's thread list and a thread's latest page). */

export const THREADS_QUERY = `query Threads($first: Int!) {
  threads(first: $first) {
    edges { cursor node {
      id waId lastMessageAt
      contact { id waId profileName fullName }
      lastMessage { id wamid direction type text timestamp status }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const MESSAGES_QUERY = `query ThreadMessages($id: ID!, $last: Int!) {
  thread(id: $id) {
    id waId
    messages(last: $last) {
      edges { cursor node { id wamid direction source type text timestamp status } }
      pageInfo { hasPreviousPage startCursor }
    }
  }
}`;

export function threadsBody(first = 50): string {
  return JSON.stringify({ operationName: "Threads", query: THREADS_QUERY, variables: { first } });
}

export function messagesBody(threadId: string, last = 50): string {
  return JSON.stringify({ operationName: "ThreadMessages", query: MESSAGES_QUERY, variables: { id: threadId, last } });
}
