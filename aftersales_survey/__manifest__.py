{
    "name": "After-Sales Surveys and Revisits",
    "summary": "Satisfaction surveys after service, scheduled customer revisits by tier, "
    "opinion campaigns, suggestions and complaints, key-customer care plans",
    "version": "18.0.1.0.0",
    "category": "Services/After-Sales",
    "website": "https://github.com/aftersales-suite/aftersales",
    "author": "After-Sales Suite Contributors",
    "maintainers": ["aftersales-suite"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["aftersales_service", "survey"],
    "data": [
        "security/ir.model.access.csv",
        "data/aftersales_revisit_tier_data.xml",
        "views/aftersales_revisit_tier_views.xml",
        "views/res_partner_views.xml",
        "views/aftersales_survey_menus.xml",
    ],
    "demo": ["demo/aftersales_survey_demo.xml"],
}
