/**
 * `/docs`: Swagger UI over this origin's `/openapi.json`. A file of its own, so the
 * page's Content-Security-Policy allows scripts from this origin only, none inline.
 */
import SwaggerUI from "swagger-ui-dist/swagger-ui-es-bundle.js";
import "swagger-ui-dist/swagger-ui.css";

SwaggerUI({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  // The default asks an outside service to validate the document: nothing leaves.
  validatorUrl: null,
});
