"""The PyTorch side of the differential test (packages/bench/src/torchDifferential.test.ts).

    python differential.py CASE_DIR [CASE_DIR ...]

Each CASE_DIR holds `input.safetensors`, written by the test: the network's layer list and the
training hyper-parameters (metadata `case`, JSON), the K fixed options of every slot layer
(`options/<layer>`), the initial trainable tensors (`variable/<layer>/scores` or
`variable/<layer>/weight`) and the batches (`x/<t>` NHWC float32, `y/<t>` int32 labels).

This script builds the same network independently in torch (F.linear / F.conv2d on NCHW tensors),
selects greedily (argmax of the scores, first index on ties) with its own straight-through
estimator, takes the mean cross-entropy, backpropagates and steps torch.optim.SGD (momentum,
coupled weight decay). Per step t it writes `torch-step<t>.safetensors`:
  loss                    [1]        the mean loss of the batch, before the update
  grad/<name>             dL/d(variable), before the update (before weight decay)
  variable/<name>         the variable after the update
  selection/<layer>       int32 argmax of the scores the forward pass used
  gap/<layer>             top-1 minus top-2 score of those scores, per connection
Nothing here imports the TypeScript code or reuses its outputs beyond the shared inputs.
"""

import ctypes
import json
import os
import struct
import sys
import warnings

warnings.filterwarnings("ignore", message="Failed to initialize NumPy")
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

DTYPES = {"F32": torch.float32, "I32": torch.int32}
NAMES = {torch.float32: "F32", torch.int32: "I32"}


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = bytearray(f.read())  # one copy; the tensors below are views of it
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        dtype = DTYPES[entry["dtype"]]
        t = torch.frombuffer(data, dtype=dtype, offset=begin, count=(end - begin) // 4) if end > begin else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(entry["shape"])
    return metadata, tensors


def write_safetensors(path, tensors):
    """Written to a temporary name, then renamed: the test reads each step's file as soon as it appears."""
    header = {}
    views = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().cpu().contiguous()
        n = t.numel() * t.element_size()
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + n]}
        views.append((t, n))
        offset += n
    text = json.dumps(header)
    text += " " * ((8 - (len(text) + 8) % 8) % 8)
    with open(path + ".partial", "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text.encode())
        for t, n in views:
            if n:
                f.write(memoryview((ctypes.c_char * n).from_address(t.data_ptr())))  # no copy, no numpy
    os.replace(path + ".partial", path)


class GreedyStraightThrough:
    """W_eff = sum_k W_k * m_k with m = onehot(argmax s) + (s - stop_gradient(s)).

    Forward: m is exactly the one-hot (s - s is exactly 0), so W_eff is the selected option.
    Backward: dm_k/ds_k = 1, so every score gets dL/ds_k = dL/dW_eff * W_k (spec section 4).
    A different construction from the TypeScript core's gather + custom gradient.
    """

    @staticmethod
    def weight(scores, options):
        index = torch.argmax(scores, dim=-1, keepdim=True)
        hard = torch.zeros_like(scores).scatter_(-1, index, 1.0)
        mask = hard + (scores - scores.detach())
        return (options * mask).sum(-1)


def top_two_gap(scores):
    top = torch.topk(scores, 2, dim=-1).values
    return top[..., 0] - top[..., 1]


def forward(case, params, options, x_nhwc):
    """The network of `case['layers']` on an NHWC batch; 4-D activations are kept NCHW."""
    h = x_nhwc.permute(0, 3, 1, 2) if x_nhwc.dim() == 4 else x_nhwc
    for layer in case["layers"]:
        kind, name = layer["type"], layer["name"]
        if kind in ("slotDense", "slotConv2d"):
            w = GreedyStraightThrough.weight(params[f"{name}/scores"], options[name])
        elif kind in ("dense", "conv2d"):
            w = params[f"{name}/weight"]
        if kind in ("dense", "slotDense"):
            h = F.linear(h, w.t())  # ours: [in, out]; torch: [out, in]
        elif kind in ("conv2d", "slotConv2d"):
            kh = w.shape[0]
            padding = {"same": (kh - 1) // 2, "valid": 0}[layer.get("padding", "same")]
            h = F.conv2d(h, w.permute(3, 2, 0, 1), padding=padding)  # [kh,kw,cin,cout] -> [cout,cin,kh,kw]
        elif kind == "relu":
            h = F.relu(h)
        elif kind == "maxPool2d":
            p = layer.get("poolSize", 2)
            h = F.max_pool2d(h, p, p)
        elif kind == "flatten":
            if h.dim() == 4:
                h = h.permute(0, 2, 3, 1)  # ours flattens NHWC
            h = h.reshape(h.shape[0], -1)
        elif kind == "dropout":
            if layer.get("rate", 0) != 0:
                raise ValueError(f"{name}: dropout rate {layer['rate']} (the comparison needs rate 0)")
        else:
            raise ValueError(f"{name}: unknown layer type {kind}")
    return h


def run_case(directory):
    metadata, tensors = read_safetensors(f"{directory}/input.safetensors")
    case = json.loads(metadata["case"])
    options = {k[len("options/") :]: v for k, v in tensors.items() if k.startswith("options/")}
    params = {
        k[len("variable/") :]: v.clone().requires_grad_(True) for k, v in tensors.items() if k.startswith("variable/")
    }
    names = list(params)
    optimizer = torch.optim.SGD(
        [params[n] for n in names],
        lr=case["learningRate"],
        momentum=case["momentum"],
        weight_decay=case["weightDecay"],
    )
    slot_layers = [l["name"] for l in case["layers"] if l["type"] in ("slotDense", "slotConv2d")]
    for t in range(case["steps"]):
        x = tensors[f"x/{t}"]
        y = tensors[f"y/{t}"].long()
        out = {}
        with torch.no_grad():
            for layer in slot_layers:
                s = params[f"{layer}/scores"]
                out[f"selection/{layer}"] = torch.argmax(s, dim=-1).to(torch.int32)
                out[f"gap/{layer}"] = top_two_gap(s)
        optimizer.zero_grad(set_to_none=True)
        logits = forward(case, params, options, x)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        out["loss"] = loss.detach().reshape(1)
        for n in names:
            out[f"grad/{n}"] = params[n].grad.detach().clone()
        optimizer.step()
        for n in names:
            out[f"variable/{n}"] = params[n].detach()
        write_safetensors(f"{directory}/torch-step{t}.safetensors", out)


def main(argv):
    if len(argv) < 2:
        print("usage: differential.py CASE_DIR [CASE_DIR ...]", file=sys.stderr)
        return 2
    torch.set_num_threads(1)
    for directory in argv[1:]:
        run_case(directory)
    print(f"torch {torch.__version__}: {len(argv) - 1} case(s) done")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
