// The API reference at /docs: Swagger UI started from a file, as the site's policy allows no inline script.
// Loaded at the end of the page, after swagger-ui-bundle.js, so the page is there to fill.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
