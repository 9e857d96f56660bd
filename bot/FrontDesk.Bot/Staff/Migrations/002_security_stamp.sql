-- Part of every sign-in cookie and checked on each request: changing it (sign-out, new password, new role, disabling)
-- ends every session of the account.
alter table staff.accounts add column security_stamp uuid not null default gen_random_uuid();
