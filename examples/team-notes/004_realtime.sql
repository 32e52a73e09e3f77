-- Stream note changes to the app.
ALTER PUBLICATION supabase_realtime ADD TABLE public.notes;
