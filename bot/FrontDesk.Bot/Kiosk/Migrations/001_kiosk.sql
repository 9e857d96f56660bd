create schema if not exists kiosk;

-- One row per Direct Line conversation a kiosk device started. Ending it revokes every token issued for it.
create table kiosk.conversations (
    id text primary key,
    device text not null,
    created_at timestamptz not null,
    started_at timestamptz,
    ended_at timestamptz,
    -- The last sequence number handed out; the activity log's watermark.
    last_seq integer not null default 0
);

-- The conversation's activity stream as Web Chat reads it: the visitor's echoed activities and the bot's.
-- Deleted when the conversation ends; the engine's transcript keeps the record for staff.
create table kiosk.activities (
    conversation_id text not null references kiosk.conversations (id) on delete cascade,
    seq integer not null,
    activity jsonb not null,
    created_at timestamptz not null,
    primary key (conversation_id, seq)
);

-- "LINEで続ける": a short code that moves a kiosk conversation's state to the conversation that sends it.
create table kiosk.continuation_codes (
    code text primary key,
    conversation_key text not null,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at timestamptz,
    used_by text
);
create index continuation_codes_by_expiry on kiosk.continuation_codes (expires_at);
