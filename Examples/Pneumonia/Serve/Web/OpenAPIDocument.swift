/// The OpenAPI 3.1 description of the service, served at `/openapi.json`.
///
/// Written by hand to match ``PredictionServer/routes``; a test checks that every documented
/// operation answers and that every route is documented.
enum OpenAPIDocument {
    /// The document as JSON.
    static let json = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "Fathom pneumonia classifier",
        "version": "1.0.0",
        "summary": "Chest X-ray classification (NORMAL or PNEUMONIA) with a Grad-CAM explanation.",
        "description": "Research use only; not a medical device. Every error answers JSON {error, detail}. Each response carries X-Request-ID (the client's own, if it sent a plausible one).",
        "license": { "name": "Apache-2.0", "identifier": "Apache-2.0" }
      },
      "paths": {
        "/": {
          "get": {
            "operationId": "page",
            "summary": "The web page: drop an X-ray, see the prediction, the heat map and the model card.",
            "responses": {
              "200": { "description": "HTML page, self-contained (no external resources).", "content": { "text/html": { "schema": { "type": "string" } } } }
            }
          }
        },
        "/healthz": {
          "get": {
            "operationId": "health",
            "summary": "Liveness: the model is loaded and the server answers.",
            "responses": {
              "200": { "description": "Healthy.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Health" } } } }
            }
          }
        },
        "/openapi.json": {
          "get": {
            "operationId": "openapi",
            "summary": "This document.",
            "responses": {
              "200": { "description": "OpenAPI 3.1 document.", "content": { "application/json": { "schema": { "type": "object" } } } }
            }
          }
        },
        "/api/v1/model": {
          "get": {
            "operationId": "modelCard",
            "summary": "The model card: architecture, training data, validation metrics, intended use and limitations.",
            "responses": {
              "200": { "description": "Model card.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ModelCard" } } } }
            }
          }
        },
        "/api/v1/predict": {
          "post": {
            "operationId": "predict",
            "summary": "Classify one chest X-ray (PNG, JPEG or DICOM, any size).",
            "description": "Send the image as the raw body with Content-Type image/png, image/jpeg or application/dicom, or as the file field (named image or file) of a multipart/form-data form. Bodies over the limit (20 MB unless the server was started with --max-body-mb) are refused with 413 before they are read.",
            "parameters": [
              {
                "name": "heatmap", "in": "query", "required": false,
                "description": "1 to add the Grad-CAM overlay as a base64 PNG.",
                "schema": { "type": "string", "enum": ["0", "1", "true", "false"] }
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "image/png": { "schema": { "type": "string", "contentMediaType": "image/png" } },
                "image/jpeg": { "schema": { "type": "string", "contentMediaType": "image/jpeg" } },
                "application/dicom": { "schema": { "type": "string", "contentMediaType": "application/dicom" } },
                "multipart/form-data": {
                  "schema": {
                    "type": "object",
                    "properties": { "image": { "type": "string", "contentMediaType": "application/octet-stream" } },
                    "required": ["image"]
                  }
                }
              }
            },
            "responses": {
              "200": { "description": "Prediction.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Prediction" } } } },
              "400": { "$ref": "#/components/responses/Error" },
              "413": { "$ref": "#/components/responses/Error" },
              "415": { "$ref": "#/components/responses/Error" },
              "422": { "$ref": "#/components/responses/Error" },
              "503": { "$ref": "#/components/responses/Error" }
            }
          }
        }
      },
      "components": {
        "responses": {
          "Error": { "description": "The request was refused; error is a stable code, detail a sentence.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
        },
        "schemas": {
          "Error": {
            "type": "object",
            "required": ["error", "detail"],
            "properties": {
              "error": { "type": "string", "examples": ["payload_too_large", "unsupported_media_type", "invalid_image", "image_too_large", "not_found"] },
              "detail": { "type": "string" }
            }
          },
          "Health": {
            "type": "object",
            "required": ["status", "model", "admitted_predictions"],
            "properties": {
              "status": { "const": "ok" },
              "model": { "type": "string" },
              "admitted_predictions": { "type": "integer", "description": "Predictions running or waiting now." }
            }
          },
          "Prediction": {
            "type": "object",
            "required": ["label", "probability", "threshold", "model", "latency_ms"],
            "properties": {
              "label": { "type": "string", "enum": ["NORMAL", "PNEUMONIA"] },
              "probability": { "type": "number", "minimum": 0, "maximum": 1, "description": "Probability of pneumonia." },
              "threshold": { "type": "number", "description": "PNEUMONIA when probability >= threshold." },
              "model": { "type": "string", "description": "The model card's id." },
              "latency_ms": { "type": "number", "description": "From the complete upload to the answer: queueing, decoding, inference, heat map." },
              "heatmap_png_base64": { "type": "string", "contentEncoding": "base64", "contentMediaType": "image/png" },
              "calibrated": { "type": "boolean", "description": "Whether probability is calibrated on validation (else the raw score)." },
              "dicom": { "type": "object", "description": "For a DICOM upload: modality, photometric_interpretation, bits_stored, signed, rows, columns, frames, transfer_syntax, modality_transform, display. Never a patient's data." }
            }
          },
          "ModelCard": {
            "type": "object",
            "required": ["id", "architecture", "parameters", "classes", "positive_class", "threshold", "threshold_rule", "input", "training_data", "data_fingerprint", "validation", "best_epoch", "epochs_completed", "training_seconds", "created", "heatmap", "intended_use", "limitations"],
            "properties": {
              "id": { "type": "string" },
              "architecture": { "type": "string" },
              "parameters": { "type": "integer" },
              "classes": { "type": "array", "items": { "type": "string" } },
              "positive_class": { "type": "string" },
              "threshold": { "type": "number" },
              "threshold_rule": { "type": "string" },
              "input": {
                "type": "object",
                "required": ["size", "channels", "geometry"],
                "properties": {
                  "size": { "type": "integer" },
                  "channels": { "type": "integer" },
                  "geometry": { "type": "string", "enum": ["center-crop-square", "stretch"] }
                }
              },
              "training_data": { "type": "string" },
              "data_fingerprint": { "type": "string" },
              "validation": { "type": "object", "additionalProperties": { "type": "number" }, "description": "auc, accuracy, sensitivity, specificity, f1, loss, n on the validation split." },
              "best_epoch": { "type": "integer" },
              "epochs_completed": { "type": "integer" },
              "training_seconds": { "type": "number" },
              "created": { "type": "string", "format": "date-time" },
              "heatmap": { "type": "boolean" },
              "intended_use": { "type": "string" },
              "limitations": { "type": "array", "items": { "type": "string" } }
            }
          }
        }
      }
    }
    """#
}
