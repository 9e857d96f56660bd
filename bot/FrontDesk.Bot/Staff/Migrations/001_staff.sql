create schema if not exists staff;

create table staff.accounts (
    id bigint generated always as identity primary key,
    login text not null unique,
    display_name text not null,
    role text not null check (role in ('coordinator', 'admin')),
    password_hash text not null,
    failed_attempts integer not null default 0,
    locked_until timestamptz,
    created_at timestamptz not null,
    disabled_at timestamptz
);

-- Every staff action: sign-in, claim, reply, close, views of personal data. Never the message text itself.
create table staff.audit (
    id bigint generated always as identity primary key,
    at timestamptz not null,
    login text not null,
    action text not null,
    target text,
    detail text
);
create index audit_by_time on staff.audit (at);
