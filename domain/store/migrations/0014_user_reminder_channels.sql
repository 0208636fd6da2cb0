-- A user's reminder channels are their own setting, changed over the API (PATCH /v1/auth/me):
-- they live with the user in `app`, and the notification consumer reads them from there.
ALTER TABLE app.users
    ADD COLUMN reminder_channels text[] NOT NULL DEFAULT '{email,in_app}'
        CHECK (reminder_channels <@ ARRAY['email', 'webhook', 'in_app']::text[]),
    ADD COLUMN webhook_url text;

UPDATE app.users u SET reminder_channels = s.channels, webhook_url = s.webhook_url
FROM notification.settings s WHERE s.user_id = u.id;

DROP TABLE notification.settings;
