from django.core.management.base import BaseCommand

from demo import clinic as demo
from demo.scars import seed_scars
from demo.scheduling import seed_appointments
from demo.treatments import seed_photos, seed_treatments


class Command(BaseCommand):
    help = "Creates a fictional demo clinic (users, patients). Safe to run again: changes nothing."

    def handle(self, *args, **options) -> None:
        usernames, password = demo.seed_users()
        created = demo.seed_patients()
        self.stdout.write(f"Demo patients: {created} created.")
        self.stdout.write(f"Scar assessments: {demo.seed_assessments()} created.")
        self.stdout.write(f"Treatment sessions: {seed_treatments()} created.")
        self.stdout.write(f"Photos: {seed_photos()} created.")
        self.stdout.write(f"Scars in the register: {seed_scars()} created.")
        self.stdout.write(f"Appointments: {seed_appointments()} created.")
        self.stdout.write(self.style.SUCCESS("Demo sign-ins: " + ", ".join(usernames)))
        if password:
            self.stdout.write(f"Password for all three: {password}")
        elif demo.CREDENTIALS_FILE.exists():
            self.stdout.write(f"Passwords unchanged; see {demo.CREDENTIALS_FILE}.")
        else:
            self.stdout.write("Passwords unchanged (set from DEMO_PASSWORD when first created).")
