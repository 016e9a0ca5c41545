// Reading call arguments from JS objects. The TS layer has already checked them; these checks only keep a
// wrong call from crashing the process (they throw a TypeError and return false).
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

namespace jpegkit {

inline bool Throw(Napi::Env env, const std::string& message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
  return false;
}

inline bool ReadInt(const Napi::Object& object, const char* key, int64_t min, int64_t max, int64_t* out) {
  Napi::Value value = object.Get(key);
  if (!value.IsNumber()) return Throw(object.Env(), std::string("Expected a number for ") + key);
  const double number = value.As<Napi::Number>().DoubleValue();
  if (!(number >= static_cast<double>(min) && number <= static_cast<double>(max)) ||
      number != static_cast<double>(static_cast<int64_t>(number))) {
    return Throw(object.Env(), std::string("Expected an integer between ") + std::to_string(min) + " and " +
                                   std::to_string(max) + " for " + key);
  }
  *out = static_cast<int64_t>(number);
  return true;
}

inline bool ReadOptionalInt(const Napi::Object& object, const char* key, int64_t min, int64_t max, int64_t* out) {
  if (!object.Has(key) || object.Get(key).IsUndefined()) return true;
  return ReadInt(object, key, min, max, out);
}

inline bool ReadString(const Napi::Object& object, const char* key, std::string* out) {
  Napi::Value value = object.Get(key);
  if (!value.IsString()) return Throw(object.Env(), std::string("Expected a string for ") + key);
  *out = value.As<Napi::String>().Utf8Value();
  return true;
}

inline bool ReadOptionalBool(const Napi::Object& object, const char* key, bool* out) {
  Napi::Value value = object.Get(key);
  if (value.IsUndefined()) return true;
  if (!value.IsBoolean()) return Throw(object.Env(), std::string("Expected a boolean for ") + key);
  *out = value.As<Napi::Boolean>().Value();
  return true;
}

inline bool IsUint8Array(const Napi::Value& value) {
  return value.IsTypedArray() && value.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array;
}

}  // namespace jpegkit
