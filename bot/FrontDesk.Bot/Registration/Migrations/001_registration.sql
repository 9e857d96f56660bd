create schema if not exists registration;

-- Personal fields live only in the encrypted "payload" columns (AES-GCM, key named by key_id). Lookups by LINE
-- user or e-mail go through keyed HMAC blind indexes (bytea), never through plaintext.

-- What was agreed to: the notice version and the SHA-256 of its text as shown.
create table registration.consents (
    id bigint generated always as identity primary key,
    owner_index bytea,
    channel text not null,
    notice_version text not null,
    notice_sha256 text not null,
    accepted boolean not null,
    at timestamptz not null
);

-- An unfinished form, one per conversation, resumable until it expires. After submission the payload is gone and
-- the number stays, so a re-run turn answers with the same number instead of registering twice.
create table registration.drafts (
    owner_index bytea primary key,
    consent_id bigint references registration.consents (id),
    key_id text,
    payload bytea,
    submitted_number text,
    updated_at timestamptz not null,
    expires_at timestamptz not null
);
create index drafts_by_expiry on registration.drafts (expires_at);

create table registration.registrations (
    id bigint generated always as identity primary key,
    number text not null unique,
    channel text not null,
    -- the LINE user (blind index) who may view, change or delete it; null for kiosk registrations
    owner_index bytea,
    email_index bytea,
    plan text not null check (plan in ('basic', 'premium')),
    consent_id bigint references registration.consents (id),
    key_id text not null,
    payload bytea not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    -- set when staff merged this duplicate into another registration
    merged_into bigint references registration.registrations (id) on delete set null
);
create index registrations_by_owner on registration.registrations (owner_index) where merged_into is null;
create index registrations_by_email on registration.registrations (email_index) where merged_into is null;
create sequence registration.number_seq;

-- Involvement added by staff: visits, events, stays, donations. The note may name people, so it is encrypted too.
create table registration.involvements (
    id bigint generated always as identity primary key,
    registration_id bigint not null references registration.registrations (id) on delete cascade,
    kind text not null check (kind in ('visit', 'event', 'stay', 'donation')),
    occurred_on date not null,
    key_id text,
    note bytea,
    added_by text not null,
    added_at timestamptz not null
);
create index involvements_by_registration on registration.involvements (registration_id);

-- Deleted registrations leave only this anonymous trace: when, from which channel, which plan.
create table registration.removals (
    id bigint generated always as identity primary key,
    removed_at timestamptz not null,
    channel text not null,
    plan text not null,
    by_staff boolean not null
);
