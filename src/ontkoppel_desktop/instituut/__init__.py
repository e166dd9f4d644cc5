"""The laptop's side of the institute server (issue 15): the client (network only), the outbox (the store's
tables, on the store's thread) and synchronising the two. No Qt."""
