-- With personal-data keys configured, a kiosk activity is stored sealed (a registration form's answers pass through
-- this log until the screen is wiped); the plain column stays for hosts without keys.
alter table kiosk.activities alter column activity drop not null;
alter table kiosk.activities add column key_id text;
alter table kiosk.activities add column sealed bytea;
alter table kiosk.activities add constraint activities_one_form check ((activity is null) <> (sealed is null));
