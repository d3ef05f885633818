from django.urls import path

from directory import api, views

urlpatterns = [
    path("directory/", views.directory_search, name="directory_search"),
    path("directory/services/new/", views.service_create, name="directory_service_new"),
    path("directory/services/<int:pk>/", views.directory_service, name="directory_service"),
    path("directory/services/<int:pk>/edit/", views.service_edit, name="directory_service_edit"),
    path(
        "directory/services/<int:pk>/reviewed/",
        views.service_reviewed,
        name="directory_service_reviewed",
    ),
    path("directory/reviews/", views.directory_reviews, name="directory_reviews"),
    path("directory/organisations/", views.organisation_list, name="directory_organisations"),
    path(
        "directory/organisations/new/",
        views.organisation_edit,
        name="directory_organisation_new",
    ),
    path(
        "directory/organisations/<int:pk>/edit/",
        views.organisation_edit,
        name="directory_organisation_edit",
    ),
    path("directory/places/", views.location_list, name="directory_locations"),
    path("directory/places/new/", views.location_edit, name="directory_location_new"),
    path("directory/places/<int:pk>/edit/", views.location_edit, name="directory_location_edit"),
    path("directory/import/", views.directory_import, name="directory_import"),
    path(
        "directory/import/<int:pk>/",
        views.directory_import_result,
        name="directory_import_result",
    ),
    path("hubs/", views.hub_list, name="hub_list"),
    path("hubs/dashboard/", views.hub_dashboard, name="hub_dashboard"),
    path("hubs/<int:pk>/", views.hub_detail, name="hub_detail"),
    path("hubs/<int:pk>/families/", views.hub_register_family, name="hub_register_family"),
    path("hubs/<int:pk>/sessions/new/", views.hub_session_create, name="hub_session_new"),
    path(
        "hubs/sessions/<int:pk>/register/",
        views.hub_session_register,
        name="hub_session_register",
    ),
    # Open Referral UK (HSDS 3.0 UK profile): these paths are a published contract.
    path("openreferral/", api.api_index, name="openreferral_index"),
    path("openreferral/services", api.services_list, name="openreferral_services"),
    path("openreferral/services/<str:id>", api.service_detail, name="openreferral_service"),
    path(
        "openreferral/service_at_locations",
        api.service_at_locations_list,
        name="openreferral_service_at_locations",
    ),
    path(
        "openreferral/service_at_locations/<str:id>",
        api.service_at_location_detail,
        name="openreferral_service_at_location",
    ),
    path("openreferral/taxonomies", api.taxonomies_list, name="openreferral_taxonomies"),
    path("openreferral/taxonomies/<str:id>", api.taxonomy_detail, name="openreferral_taxonomy"),
    path(
        "openreferral/taxonomy_terms", api.taxonomy_terms_list, name="openreferral_taxonomy_terms"
    ),
    path(
        "openreferral/taxonomy_terms/<str:id>",
        api.taxonomy_term_detail,
        name="openreferral_taxonomy_term",
    ),
]
