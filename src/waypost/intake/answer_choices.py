"""The fixed answers of the history intake: each list of choices its topics offer.

Stored answers hold the values (``"serious"``, ``"dating_apps"``); the labels
are what people read, in their language. The record summary reads the same
lists to say what an answer means.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class YesNoUnsure(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNSURE = "unsure", _("Not sure")


class Impact(models.TextChoices):
    NONE = "none", _("None")
    SOME = "some", _("Some")
    SERIOUS = "serious", _("Serious")


class Activity(models.TextChoices):
    PORNOGRAPHY = "pornography", _("Viewing pornography")
    WEBCAM = "webcam", _("Webcam or live shows")
    SEXTING = "sexting", _("Sexting or sexual chat")
    DATING_APPS = "dating_apps", _("Dating or hook-up apps")
    PAID = "paid", _("Paid content or services")
    SOCIAL_MEDIA = "social_media", _("Browsing social media for sexual content")
    OTHER = "other", _("Something else")


class Longest(models.TextChoices):
    UNDER_WEEK = "under_week", _("Less than a week")
    WEEKS = "weeks", _("One to four weeks")
    MONTHS_1_3 = "months_1_3", _("One to three months")
    MONTHS_3_6 = "months_3_6", _("Three to six months")
    MONTHS_6_12 = "months_6_12", _("Six to twelve months")
    OVER_YEAR = "over_year", _("More than a year")


class Condition(models.TextChoices):
    DEPRESSION = "depression", _("Depression or long spells of low mood")
    ANXIETY = "anxiety", _("Anxiety")
    ADHD = "adhd", _("ADHD")
    TRAUMA = "trauma", _("Trauma, or post-traumatic stress")
    SUBSTANCE = "substance", _("Alcohol or drug use that worries you or others")
    OTHER_COMPULSIVE = "other_compulsive", _("Another compulsive behaviour (gambling, gaming …)")
    PHYSICAL = "physical", _("A long-term physical health condition")


class Vulnerability(models.TextChoices):
    LONELINESS = "loneliness", _("Loneliness")
    STRESS = "stress", _("High stress")
    BOREDOM = "boredom", _("Boredom")
    UNSTRUCTURED = "unstructured", _("Lots of unstructured time")
    PRIVATE_DEVICE = "private_device", _("Easy, private access to a phone or computer")
    NIGHT = "night", _("Using late at night or in bed")
    ABUSE = "abuse", _("Having been abused, as a child or an adult")


SCALE = [(str(n), str(n)) for n in range(11)]
SCALE_HELP = _("0 means none of it, 10 means all of it.")
