-- Callback contacts are sealed with the personal-data keys (AES-GCM, key id beside the value), like registrations.
-- Rows from before held the contact in clear: they are removed rather than kept.
delete from handoff.callback_requests;
alter table handoff.callback_requests drop column contact;
alter table handoff.callback_requests add column contact_key text not null;
alter table handoff.callback_requests add column contact_sealed bytea not null;
