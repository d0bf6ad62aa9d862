from axes.utils import reset as reset_lockout
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from demo.desk import DEMO_ACCOUNTS, REPORTER, hand_over_desk_stories
from desk_security.twofactor import reset_two_factor


class Command(BaseCommand):
    help = (
        "Create or reset the demo editor and reporter accounts and print how to log in."
    )

    def handle(self, *args, **options):
        user_model = get_user_model()
        for username, password, group_name, (first, last) in DEMO_ACCOUNTS:
            user, created = user_model.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@newsroom.invalid"
            user.is_staff = True
            user.is_active = True
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=group_name)])
            # The printed login works as printed: no lockout, no two-factor code.
            reset_lockout(username=username)
            reset_two_factor(user=user)
            verb = "Created" if created else "Reset"
            self.stdout.write(
                f"{verb} demo {group_name[:-1].lower()}: log in at /admin/ as "
                f"{username} / {password}"
            )
        handed = hand_over_desk_stories()
        if handed:
            self.stdout.write(
                f"The {REPORTER} account now owns {handed} unpublished demo stories."
            )
