// slot_ops_loader.node: a Node-API addon with one function, loadLibrary(path), which loads a
// TensorFlow custom op library into the libtensorflow tfjs-node's addon runs on (TF_LoadLibrary of
// the C API, which tfjs-node does not expose). It links the same libtensorflow_cc.so.2 through its
// RUNPATH, so the process holds one libtensorflow and one op registry. Built by
// scripts/build-native-ops.sh.
//
// loadLibrary(path) returns the number of bytes of the library's serialized OpList (> 0 when it
// registered ops) or throws TensorFlow's message (for example dlopen's "undefined symbol: ...").
// Loading the same path again is a no-op in TensorFlow.
#include <node_api.h>

#include <string>

#include "tensorflow/c/c_api.h"

namespace {

napi_value LoadLibrary(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < 1) {
    napi_throw_type_error(env, nullptr, "loadLibrary(path): a path is required");
    return nullptr;
  }
  size_t length = 0;
  if (napi_get_value_string_utf8(env, argv[0], nullptr, 0, &length) != napi_ok) {
    napi_throw_type_error(env, nullptr, "loadLibrary(path): the path must be a string");
    return nullptr;
  }
  std::string path(length, '\0');
  napi_get_value_string_utf8(env, argv[0], path.data(), length + 1, &length);

  TF_Status* status = TF_NewStatus();
  TF_Library* library = TF_LoadLibrary(path.c_str(), status);
  if (TF_GetCode(status) != TF_OK || library == nullptr) {
    std::string message = std::string("TF_LoadLibrary(") + path + "): " + TF_Message(status);
    TF_DeleteStatus(status);
    napi_throw_error(env, nullptr, message.c_str());
    return nullptr;
  }
  TF_DeleteStatus(status);
  const TF_Buffer ops = TF_GetOpList(library);
  // Frees the handle only: the library stays loaded for the life of the process.
  TF_DeleteLibraryHandle(library);
  napi_value result;
  napi_create_double(env, static_cast<double>(ops.length), &result);
  return result;
}

}  // namespace

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "loadLibrary", NAPI_AUTO_LENGTH, LoadLibrary, nullptr, &fn);
  napi_set_named_property(env, exports, "loadLibrary", fn);
  napi_value version;
  napi_create_string_utf8(env, TF_Version(), NAPI_AUTO_LENGTH, &version);
  napi_set_named_property(env, exports, "tensorflowVersion", version);
  return exports;
}
