create schema if not exists line;

-- Every webhook event received, once. The key is LINE's webhookEventId, so a redelivered or duplicated event is
-- recognised and not processed again. No message text is kept here: text travels in conversation.inbound and the
-- transcript, which have their own retention.
create table line.inbox (
    webhook_event_id text primary key,
    event_type text not null,
    mode text not null,
    is_redelivery boolean not null,
    -- 'queued' (handed to the engine), 'recorded' (handled here, e.g. unfollow), 'standby', 'ignored'
    outcome text not null,
    event_at timestamptz not null,
    received_at timestamptz not null
);
create index inbox_by_received on line.inbox (received_at);

-- Whether a user follows the account (follow / unfollow events); nothing is pushed to users who blocked it.
create table line.users (
    user_id text primary key,
    following boolean not null,
    -- time of the event that set it, so a late or redelivered older event cannot undo a newer one
    changed_at timestamptz not null
);
