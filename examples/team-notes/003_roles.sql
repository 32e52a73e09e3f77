-- Role column for admin access control.
ALTER TABLE public.user_profiles
    ADD COLUMN IF NOT EXISTS role TEXT NOT NULL DEFAULT 'user';

ALTER TABLE public.user_profiles
    ADD CONSTRAINT user_profiles_role_check
    CHECK (role IN ('user', 'admin', 'moderator'));

CREATE INDEX IF NOT EXISTS idx_user_profiles_role ON public.user_profiles (role);

COMMENT ON COLUMN public.user_profiles.role IS 'user (default), moderator or admin';
