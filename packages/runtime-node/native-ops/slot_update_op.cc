// SlotMachinesSlotUpdate: the fused slot update of @slot-machines/core (slotUpdate) as a TensorFlow
// custom op, for the native backend (tfjs-node). Compiled by scripts/build-native-ops.sh with g++
// against the headers of the tensorflow-cpu wheel whose libtensorflow tfjs-node runs on, and loaded
// into that libtensorflow with TF_LoadLibrary (load_library.cc).
//
// The contract and the arithmetic are those of slotUpdateLoop (packages/core/src/fused/slotUpdate.ts):
// per connection i and option k, float32 after every operation,
//     g = grad[i]*W[i,k];  if wd != 0: g = g + s*wd;  v = v*mu + g;  s' = s - v*lr
// then the next choice from s': argmax (ties to the lowest index), or the inverse CDF of softmax(s')
// or of p ∝ max(s', 0) at uniforms[i], and the chosen option W[i, choice] (the next forward's weight). Built with -ffp-contract=off: no fused multiply-add, so the
// results are those of the JS loop bit for bit (a float product or sum rounded once equals the JS
// double one rounded with Math.fround). The sums of p are kept in double, as the JS loop does.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "tensorflow/core/framework/op.h"
#include "tensorflow/core/framework/op_kernel.h"
#include "tensorflow/core/framework/shape_inference.h"
#include "tensorflow/core/framework/tensor.h"
#include "tensorflow/core/framework/tensor_shape.h"

namespace {

using tensorflow::DEVICE_CPU;
using tensorflow::OpKernel;
using tensorflow::OpKernelConstruction;
using tensorflow::OpKernelContext;
using tensorflow::Status;
using tensorflow::Tensor;
using tensorflow::TensorShape;
using tensorflow::errors::InvalidArgument;
namespace shape_inference = tensorflow::shape_inference;

// Connections [begin, end) of one update.
void slotUpdateRange(const float* scores, const float* velocity, const float* options, bool shared, const float* grad,
                     const float* uniforms, float lr, float mu, float wd, int rule, float* outScores, float* outVelocity,
                     int32_t* outIndices, float* outWeights, int64_t k, int64_t begin, int64_t end) {
  std::vector<float> probabilities(rule == 0 ? 0 : k);
  for (int64_t i = begin; i < end; i++) {
    const float gi = grad[i];
    const int64_t base = i * k;
    const float* w = shared ? options : options + base;
    float best = -INFINITY;
    int64_t bestK = 0;
    for (int64_t j = 0; j < k; j++) {
      const float s = scores[base + j];
      float g = gi * w[j];
      if (wd != 0.0f) g = g + s * wd;
      const float v = velocity[base + j] * mu + g;
      const float next = s - v * lr;
      outVelocity[base + j] = v;
      outScores[base + j] = next;
      if (next > best) {
        best = next;
        bestK = j;
      }
    }
    if (rule == 0) {
      outIndices[i] = static_cast<int32_t>(bestK);
      outWeights[i] = w[bestK];
      continue;
    }
    // inverse CDF over p = softmax(s) or p ∝ max(s, 0), as slotUpdateLoop draws it
    const float max = best;
    double total = 0;
    for (int64_t j = 0; j < k; j++) {
      const float s = outScores[base + j];
      float p;
      if (rule == 1) p = static_cast<float>(std::exp(static_cast<double>(s - max)));
      else p = std::isnan(s) ? s : (s > 0.0f ? s : 0.0f);  // Math.max(s, 0)
      probabilities[j] = p;
      total += p;
    }
    const float u = uniforms[i];
    const float total32 = static_cast<float>(total);
    const bool uniform = rule == 2 && !(total32 > 0.0f);
    const float tiny = static_cast<float>(1e-30);
    const float divisor = rule == 2 ? (std::isnan(total32) || total32 > tiny ? total32 : tiny) : total32;
    const float step = 1.0f / static_cast<float>(k);
    int64_t below = 0;
    float cdf = 0.0f;
    for (int64_t j = 0; j < k; j++) {
      cdf = cdf + (uniform ? step : probabilities[j] / divisor);
      if (cdf < u) below++;
    }
    const int64_t chosen = below < k - 1 ? below : k - 1;
    outIndices[i] = static_cast<int32_t>(chosen);
    outWeights[i] = w[chosen];
  }
}

bool sameShape(const TensorShape& a, const TensorShape& b) { return a == b; }

class SlotUpdateOp : public OpKernel {
 public:
  explicit SlotUpdateOp(OpKernelConstruction* context) : OpKernel(context) {
    OP_REQUIRES_OK(context, context->GetAttr("lr", &lr_));
    OP_REQUIRES_OK(context, context->GetAttr("momentum", &momentum_));
    OP_REQUIRES_OK(context, context->GetAttr("weight_decay", &weightDecay_));
    OP_REQUIRES_OK(context, context->GetAttr("rule", &rule_));
    OP_REQUIRES(context, rule_ >= 0 && rule_ <= 2, InvalidArgument("SlotMachinesSlotUpdate: rule must be 0 (argmax), 1 (softmax) or 2 (proportional), got ", rule_));
    // SLOT_MACHINES_SLOT_UPDATE_THREADS=1 keeps the update on the calling thread (for measuring)
    const char* threads = std::getenv("SLOT_MACHINES_SLOT_UPDATE_THREADS");
    serial_ = threads != nullptr && std::atoi(threads) == 1;
  }

  void Compute(OpKernelContext* context) override {
    const Tensor& scores = context->input(0);
    const Tensor& velocity = context->input(1);
    const Tensor& options = context->input(2);
    const Tensor& grad = context->input(3);
    const Tensor& uniforms = context->input(4);
    OP_REQUIRES(context, scores.dims() >= 1, InvalidArgument("SlotMachinesSlotUpdate: scores must have rank >= 1 ([...S, K]), got ", scores.shape().DebugString()));
    const int64_t k = scores.dim_size(scores.dims() - 1);
    OP_REQUIRES(context, k >= 1, InvalidArgument("SlotMachinesSlotUpdate: scores has K = 0 options"));
    const int64_t n = scores.NumElements() / k;
    OP_REQUIRES(context, sameShape(velocity.shape(), scores.shape()),
                InvalidArgument("SlotMachinesSlotUpdate: velocity: expected shape ", scores.shape().DebugString(), ", got ", velocity.shape().DebugString()));
    const bool full = sameShape(options.shape(), scores.shape());
    const bool shared = !full && options.dims() == 1 && options.dim_size(0) == k;
    OP_REQUIRES(context, full || shared,
                InvalidArgument("SlotMachinesSlotUpdate: options: expected shape ", scores.shape().DebugString(), " or [", k, "], got ", options.shape().DebugString()));
    OP_REQUIRES(context, grad.NumElements() == n,
                InvalidArgument("SlotMachinesSlotUpdate: grad: expected ", n, " values (one per connection), got ", grad.shape().DebugString()));
    OP_REQUIRES(context, rule_ == 0 || uniforms.NumElements() == n,
                InvalidArgument("SlotMachinesSlotUpdate: uniforms: expected ", n, " values for rule ", rule_, ", got ", uniforms.shape().DebugString()));

    Tensor* outScores = nullptr;
    Tensor* outVelocity = nullptr;
    Tensor* outIndices = nullptr;
    Tensor* outWeights = nullptr;
    TensorShape connections = scores.shape();
    connections.RemoveLastDims(1);
    OP_REQUIRES_OK(context, context->allocate_output(0, scores.shape(), &outScores));
    OP_REQUIRES_OK(context, context->allocate_output(1, scores.shape(), &outVelocity));
    OP_REQUIRES_OK(context, context->allocate_output(2, connections, &outIndices));
    OP_REQUIRES_OK(context, context->allocate_output(3, connections, &outWeights));
    if (n == 0) return;

    const float* s = scores.flat<float>().data();
    const float* v = velocity.flat<float>().data();
    const float* w = options.flat<float>().data();
    const float* g = grad.flat<float>().data();
    const float* u = rule_ == 0 ? nullptr : uniforms.flat<float>().data();
    float* os = outScores->flat<float>().data();
    float* ov = outVelocity->flat<float>().data();
    int32_t* oi = outIndices->flat<int32_t>().data();
    float* ow = outWeights->flat<float>().data();
    const float lr = lr_, mu = momentum_, wd = weightDecay_;
    const int rule = rule_;
    auto work = [=](int64_t begin, int64_t end) { slotUpdateRange(s, v, w, shared, g, u, lr, mu, wd, rule, os, ov, oi, ow, k, begin, end); };
    if (serial_) {
      work(0, n);
      return;
    }
    // Cost per connection in cycles, roughly: 5 loads/stores and ~8 flops per option, plus exp
    // for softmax. ParallelFor keeps small updates on the calling thread.
    const int64_t cost = k * (rule_ == 1 ? 60 : 16);
    context->device()->tensorflow_cpu_worker_threads()->workers->ParallelFor(n, cost, work);
  }

 private:
  float lr_ = 0, momentum_ = 0, weightDecay_ = 0;
  int rule_ = 0;
  bool serial_ = false;
};

}  // namespace

REGISTER_OP("SlotMachinesSlotUpdate")
    .Input("scores: float")
    .Input("velocity: float")
    .Input("options: float")
    .Input("grad: float")
    .Input("uniforms: float")
    .Output("new_scores: float")
    .Output("new_velocity: float")
    .Output("indices: int32")
    .Output("weights: float")
    .Attr("lr: float")
    .Attr("momentum: float")
    .Attr("weight_decay: float")
    .Attr("rule: int = 0")
    .SetShapeFn([](shape_inference::InferenceContext* c) {
      shape_inference::ShapeHandle connections;
      TF_RETURN_IF_ERROR(c->WithRankAtLeast(c->input(0), 1, &connections));
      TF_RETURN_IF_ERROR(c->Subshape(c->input(0), 0, -1, &connections));
      c->set_output(0, c->input(0));
      c->set_output(1, c->input(0));
      c->set_output(2, connections);
      c->set_output(3, connections);
      return Status();
    })
    .Doc("The fused slot update of @slot-machines/core: straight-through gradient, coupled L2, momentum, SGD and the next choice per connection, in one pass.");

REGISTER_KERNEL_BUILDER(Name("SlotMachinesSlotUpdate").Device(DEVICE_CPU), SlotUpdateOp);
