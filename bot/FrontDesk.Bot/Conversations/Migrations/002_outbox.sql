-- A turn's replies, written in the same commit as its state, transcript and the inbound row's removal, and delivered
-- afterwards by the outbox sender, oldest first per conversation; a row is deleted once delivered. With the
-- personal-data keys configured the payload (replies and the delivery details of the inbound activity) is sealed.
create table conversation.outbox (
    id bigint generated always as identity primary key,
    conversation_key text not null,
    -- Derives the channel's idempotency keys (LINE: X-Line-Retry-Key per batch): stable across retries, hosts, restarts.
    delivery_key uuid not null default gen_random_uuid(),
    payload text,
    key_id text,
    sealed bytea,
    created_at timestamptz not null,
    attempts integer not null default 0,
    -- Message batches already delivered (LINE: calls of at most five messages), so a retry goes on from there.
    progress integer not null default 0,
    -- The reply token is spent or refused: the first batch goes by push.
    reply_used boolean not null default false,
    next_attempt_at timestamptz not null,
    last_error text,
    -- Set aside after retrying for the configured time: shown on /health/delivery and the console, never dropped.
    failed_at timestamptz,
    constraint outbox_one_form check ((payload is null) <> (sealed is null))
);
create index outbox_pending on conversation.outbox (conversation_key, id) where failed_at is null;
create index outbox_set_aside on conversation.outbox (failed_at) where failed_at is not null;

-- Typed text waits here until its turn runs: sealed like the outbox when keys are configured.
alter table conversation.inbound alter column activity drop not null;
alter table conversation.inbound add column key_id text;
alter table conversation.inbound add column sealed bytea;
alter table conversation.inbound add constraint inbound_one_form check ((activity is null) <> (sealed is null));
