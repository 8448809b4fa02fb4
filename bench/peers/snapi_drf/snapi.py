"""A peer for `korolev bench serve --peer`: the Spaceflight News API v4 article list built
the way SNAPI itself is built (Django, Django REST Framework, django-filter, limit/offset
pagination, DRF's search over title and summary), serving the same articles as korolev,
copied out of a korolev store into its own SQLite database.

    pip install django djangorestframework django-filter gunicorn
    python bench/peers/snapi_drf/snapi.py load STORE_DIR        # copy the store's articles
    gunicorn --chdir bench/peers/snapi_drf -w 2 -k gthread --threads 8 -b 127.0.0.1:8090 snapi:application
    korolev bench serve --store STORE_DIR --peer http://127.0.0.1:8090

The peer's database is $PEER_DB (default: korolev-snapi-peer.sqlite3 in the temporary
directory). This is korolev's own code, written for the benchmark; it is not SNAPI's.
"""

import json
import os
import sqlite3
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import django
from django.conf import settings

DB = Path(os.environ.get("PEER_DB", Path(tempfile.gettempdir()) / "korolev-snapi-peer.sqlite3"))

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    SECRET_KEY="benchmark-only",
    ROOT_URLCONF=__name__,
    USE_TZ=True,
    TIME_ZONE="UTC",
    INSTALLED_APPS=["django.contrib.contenttypes", "rest_framework", "django_filters", "articles"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DB), "CONN_MAX_AGE": 60}},
    MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
    REST_FRAMEWORK={
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
        "PAGE_SIZE": 10,
        "UNAUTHENTICATED_USER": None,
        "DEFAULT_AUTHENTICATION_CLASSES": [],
        "DEFAULT_PERMISSION_CLASSES": [],
    },
)
django.setup()

import django_filters  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from rest_framework import filters, pagination, routers, serializers, viewsets  # noqa: E402

from articles.models import Article, Author, Event, Launch, NewsSite  # noqa: E402


class AuthorSerializer(serializers.ModelSerializer):
    socials = serializers.SerializerMethodField()

    class Meta:
        model = Author
        fields = ["name", "socials"]

    def get_socials(self, _):
        return None


class LaunchSerializer(serializers.ModelSerializer):
    class Meta:
        model = Launch
        fields = ["launch_id", "provider"]


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = ["event_id", "provider"]


class ArticleSerializer(serializers.ModelSerializer):
    news_site = serializers.CharField(source="news_site.name")
    authors = AuthorSerializer(many=True)
    launches = LaunchSerializer(many=True)
    events = EventSerializer(many=True)

    class Meta:
        model = Article
        fields = [
            "id", "title", "authors", "url", "image_url", "news_site", "summary",
            "published_at", "updated_at", "featured", "launches", "events",
        ]


class ArticleFilter(django_filters.FilterSet):
    title_contains = django_filters.CharFilter(field_name="title", lookup_expr="icontains")
    summary_contains = django_filters.CharFilter(field_name="summary", lookup_expr="icontains")
    news_site = django_filters.CharFilter(field_name="news_site__name")
    published_at_gte = django_filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_at_lte = django_filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="lte")
    launch = django_filters.CharFilter(field_name="launches__launch_id")


class Pages(pagination.LimitOffsetPagination):
    max_limit = 500


class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = (
        Article.objects.select_related("news_site")
        .prefetch_related("authors", "launches", "events")
        .order_by("-published_at", "-id")
    )
    serializer_class = ArticleSerializer
    pagination_class = Pages
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_class = ArticleFilter
    search_fields = ["title", "summary"]
    ordering_fields = ["published_at", "updated_at"]


router = routers.DefaultRouter()
router.register("articles", ArticleViewSet, basename="article")
urlpatterns = [path("v4/", include(router.urls))]
application = get_wsgi_application()


def load(store_dir: str) -> None:
    """Copies the articles of the korolev store in `store_dir` into the peer's database."""
    src = sqlite3.connect(f"file:{Path(store_dir) / 'korolev.sqlite3'}?mode=ro", uri=True)
    rows = src.execute(
        "SELECT id, title, summary, news_site, url, coalesce(image_url, ''), authors, published, updated FROM news"
    ).fetchall()
    if DB.exists():
        DB.unlink()
    with connection.schema_editor() as editor:
        for model in (NewsSite, Author, Launch, Event, Article):
            editor.create_model(model)
    sites = {name: NewsSite.objects.create(name=name) for name in {r[3] for r in rows}}
    authors = {}
    when = lambda s: datetime.fromtimestamp(s, tz=timezone.utc)  # noqa: E731
    Article.objects.bulk_create(
        Article(
            id=r[0], title=r[1][:250], summary=r[2], news_site=sites[r[3]], url=r[4][:500],
            image_url=r[5][:500], published_at=when(r[7]), updated_at=when(r[8]),
        )
        for r in rows
    )
    links = []
    for r in rows:
        for name in json.loads(r[6]):
            if name not in authors:
                authors[name] = Author.objects.create(name=name)
            links.append(Article.authors.through(article_id=r[0], author_id=authors[name].id))
    Article.authors.through.objects.bulk_create(links)
    print(f"snapi: {len(rows)} articles from {store_dir} into {DB}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "load":
        sys.exit("usage: snapi.py load STORE_DIR")
    load(sys.argv[2])
