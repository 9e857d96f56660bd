create schema if not exists conversation;

-- One row per conversation: the engine's state, guarded by an optimistic version.
create table conversation.conversations (
    key text primary key,
    channel text not null,
    state jsonb not null,
    version integer not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

-- Accepted but not yet processed activities. A row is deleted in the same transaction that saves the turn.
create table conversation.inbound (
    id bigint generated always as identity primary key,
    conversation_key text not null,
    activity jsonb not null,
    received_at timestamptz not null,
    attempts integer not null default 0,
    failed_at timestamptz,
    last_error text
);
create index inbound_pending on conversation.inbound (conversation_key, id) where failed_at is null;

-- Every inbound and outbound activity, kept for the configured retention period.
create table conversation.transcript (
    id bigint generated always as identity primary key,
    conversation_key text not null,
    direction char(1) not null check (direction in ('i', 'o')),
    activity jsonb not null,
    created_at timestamptz not null
);
create index transcript_by_conversation on conversation.transcript (conversation_key, id);
create index transcript_by_time on conversation.transcript (created_at);
