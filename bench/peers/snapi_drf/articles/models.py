"""The peer's articles, in the shape of the Spaceflight News API v4."""

from django.db import models


class NewsSite(models.Model):
    name = models.CharField(max_length=250, unique=True)


class Author(models.Model):
    name = models.CharField(max_length=250)


class Launch(models.Model):
    launch_id = models.CharField(max_length=200, unique=True)
    provider = models.CharField(max_length=50)


class Event(models.Model):
    event_id = models.IntegerField(unique=True)
    provider = models.CharField(max_length=50)


class Article(models.Model):
    title = models.CharField(max_length=250)
    url = models.URLField(max_length=500)
    image_url = models.URLField(max_length=500, blank=True)
    news_site = models.ForeignKey(NewsSite, on_delete=models.CASCADE)
    summary = models.TextField()
    published_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(db_index=True)
    featured = models.BooleanField(default=False)
    authors = models.ManyToManyField(Author, blank=True)
    launches = models.ManyToManyField(Launch, blank=True)
    events = models.ManyToManyField(Event, blank=True)
