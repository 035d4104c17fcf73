-- 0040: each account chooses the language of its interface: zh-CN (the default, the city's
-- language) or en. The client reads it from /api/me after sign-in and sets it with
-- PUT /api/me/locale; residents, who have no account, keep their choice in the browser.
ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en'));
