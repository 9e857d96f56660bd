create schema if not exists handoff;

-- Every saved turn of a conversation that is (or just was) with a coordinator wakes each web host's listener,
-- which relays the change to the consoles connected to it. The payload is the conversation key only.
create function handoff.notify_change() returns trigger language plpgsql as $$
begin
    if jsonb_typeof(new.state -> 'handoff') = 'object'
       or (tg_op = 'UPDATE' and jsonb_typeof(old.state -> 'handoff') = 'object') then
        perform pg_notify('handoff_changed', new.key);
    end if;
    return null;
end $$;

create trigger handoff_changed after insert or update of state on conversation.conversations
    for each row execute function handoff.notify_change();

-- Ready-made replies that admins maintain and coordinators pick from.
create table handoff.canned_responses (
    id bigint generated always as identity primary key,
    title text not null check (length(title) between 1 and 100),
    body text not null check (length(body) between 1 and 2000),
    updated_by text not null,
    updated_at timestamptz not null
);

-- Staff-only notes on a conversation; never sent to the user.
create table handoff.notes (
    id bigint generated always as identity primary key,
    conversation_key text not null,
    login text not null,
    text text not null check (length(text) between 1 and 2000),
    created_at timestamptz not null
);
create index notes_by_conversation on handoff.notes (conversation_key, id);

-- Out-of-hours callback requests. Staff-only (the console reads it, audited); the contact is kept only until
-- expires_at, after which the retention job deletes the row. Never copied into conversation state or logs.
create table handoff.callback_requests (
    id bigint generated always as identity primary key,
    conversation_key text not null,
    preferred_time text not null,
    contact_kind text not null check (contact_kind in ('phone', 'email')),
    contact text not null,
    created_at timestamptz not null,
    expires_at timestamptz not null
);
create index callback_requests_by_conversation on handoff.callback_requests (conversation_key, id);
create index callback_requests_by_expiry on handoff.callback_requests (expires_at);
