from django.core.management.base import BaseCommand, CommandError

from demo import scale


class Command(BaseCommand):
    help = (
        "Fills an empty PostgreSQL database with a clinic group's fictional data (100k patients, "
        "1M appointments, ...) to measure the app at scale. Sizes are options."
    )

    def add_arguments(self, parser) -> None:
        defaults = scale.Sizes()
        for name in scale.Sizes.__dataclass_fields__:
            parser.add_argument(
                f"--{name.replace('_', '-')}",
                type=int,
                default=getattr(defaults, name),
                help=f"default {getattr(defaults, name)}",
            )
        parser.add_argument(
            "--force", action="store_true", help="add the data set even if patients exist"
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed")

    def handle(self, *args, **options) -> None:
        sizes = scale.Sizes(**{name: options[name] for name in scale.Sizes.__dataclass_fields__})
        if min(vars(sizes).values()) < 0 or sizes.dermatologists < 1 or sizes.patients < 1:
            raise CommandError("Sizes must be positive (at least one patient and dermatologist).")
        try:
            scale.check_database(force=options["force"])
            report = scale.Generator(sizes, seed=options["seed"], log=self.stdout.write).run()
        except scale.SeedRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Seeded: {report.counts}"))
