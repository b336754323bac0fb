"""gunicorn reads this file from the working directory: the master refuses to start when row-level
security cannot protect the tenants with the configured database role (organizations/rls.py)."""


def on_starting(server) -> None:
    import django

    django.setup()
    from organizations.rls import refuse_unsafe_role

    refuse_unsafe_role()
