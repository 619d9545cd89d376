"""Builds a PyTorch module from a Keras / tfjs-layers topology (model.toJSON()), so that bench:train
compares the very architecture lepton trains: same layers, shapes and parameter count (printed and
checked by the caller). Layers: InputLayer, Conv2D, DepthwiseConv2D, Dense, BatchNormalization,
ReLU, Activation, Add, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, Flatten, Dropout.

PyTorch runs channels-first (its native layout); padding "same" is TensorFlow's (extra row/column
at the bottom/right). A final softmax is left to CrossEntropyLoss, as PyTorch users write it.
"""
import json
import math

import torch
from torch import nn
import torch.nn.functional as F


def _pair(v):
    return tuple(v) if isinstance(v, (list, tuple)) else (v, v)


class TfSamePad(nn.Module):
    """TensorFlow's "same" padding for a kernel k and stride s (asymmetric when needed)."""

    def __init__(self, kernel, stride, dilation=(1, 1)):
        super().__init__()
        self.k, self.s, self.d = kernel, stride, dilation

    def forward(self, x):
        pads = []
        for axis in (1, 0):  # F.pad takes the last axis first: width, then height
            size = x.shape[2 + axis]
            eff = (self.k[axis] - 1) * self.d[axis] + 1
            out = math.ceil(size / self.s[axis])
            total = max((out - 1) * self.s[axis] + eff - size, 0)
            pads += [total // 2, total - total // 2]
        return F.pad(x, pads) if any(pads) else x


def _activation(name):
    return {"relu": nn.ReLU(), "linear": None, "softmax": None, "sigmoid": nn.Sigmoid(), "tanh": nn.Tanh(),
            "relu6": nn.ReLU6(), None: None}[name]


def _conv(cfg, cin, depthwise):
    k, s = _pair(cfg["kernel_size"]), _pair(cfg.get("strides", 1))
    d = _pair(cfg.get("dilation_rate", 1))
    mult = cfg.get("depth_multiplier", 1)
    cout = cin * mult if depthwise else cfg["filters"]
    conv = nn.Conv2d(cin, cout, k, s, 0, d, groups=cin if depthwise else 1, bias=cfg.get("use_bias", True))
    parts = [TfSamePad(k, s, d)] if cfg.get("padding", "valid") == "same" else []
    parts.append(conv)
    act = _activation(cfg.get("activation", "linear"))
    if act is not None:
        parts.append(act)
    return nn.Sequential(*parts), cout


def _as_functional(config):
    """A Sequential's layer list as a functional config: each layer fed by the one before."""
    layers = [{"name": "input", "class_name": "InputLayer", "config": {}, "inbound_nodes": []}]
    for layer in config["layers"]:
        name = layer.get("name") or layer["config"]["name"]
        layers.append(dict(layer, name=name, inbound_nodes=[[[layers[-1]["name"], 0, 0, {}]]]))
    return {"layers": layers, "output_layers": [[layers[-1]["name"], 0, 0]]}


class KerasGraph(nn.Module):
    def __init__(self, topology, input_shape):
        super().__init__()
        config = topology["config"]
        if topology["class_name"] == "Sequential":
            config = _as_functional(config)
        self.order, self.inbound = [], {}
        self.mods = nn.ModuleDict()
        shapes = {}  # layer name -> output shape (C, H, W) or (F,)
        h, w, c = input_shape
        for layer in config["layers"]:
            name, cls, cfg = layer["name"], layer["class_name"], layer["config"]
            key = name.replace("/", "__").replace(".", "_")
            nodes = layer.get("inbound_nodes") or []
            srcs = [n[0] for n in nodes[0]] if nodes else []
            self.inbound[key] = [s.replace("/", "__").replace(".", "_") for s in srcs]
            self.order.append(key)
            ins = [shapes[s] for s in self.inbound[key]]
            if cls == "InputLayer":
                mod, shape = nn.Identity(), (c, h, w)
            elif cls in ("Conv2D", "DepthwiseConv2D"):
                cin, hh, ww = ins[0]
                mod, cout = _conv(cfg, cin, cls == "DepthwiseConv2D")
                with torch.no_grad():
                    shape = tuple(mod(torch.zeros(1, cin, hh, ww)).shape[1:])
            elif cls == "Dense":
                fin = ins[0][0] if len(ins[0]) == 1 else ins[0][-1]
                parts = [nn.Linear(fin, cfg["units"], bias=cfg.get("use_bias", True))]
                act = _activation(cfg.get("activation", "linear"))
                if act is not None:
                    parts.append(act)
                mod, shape = nn.Sequential(*parts), (cfg["units"],)
            elif cls == "BatchNormalization":
                ch = ins[0][0]
                bn = nn.BatchNorm2d if len(ins[0]) == 3 else nn.BatchNorm1d
                mod, shape = bn(ch, eps=cfg.get("epsilon", 1e-3), momentum=1 - cfg.get("momentum", 0.99)), ins[0]
            elif cls == "ReLU":
                mod, shape = (nn.ReLU6() if cfg.get("max_value") == 6 else nn.ReLU()), ins[0]
            elif cls == "Activation":
                mod, shape = (_activation(cfg["activation"]) or nn.Identity()), ins[0]
            elif cls == "Add":
                mod, shape = None, ins[0]
            elif cls in ("MaxPooling2D", "AveragePooling2D"):
                k = _pair(cfg.get("pool_size", 2))
                s = _pair(cfg.get("strides") or k)
                pool = (nn.MaxPool2d if cls == "MaxPooling2D" else nn.AvgPool2d)(k, s)
                parts = [TfSamePad(k, s), pool] if cfg.get("padding", "valid") == "same" else [pool]
                mod = nn.Sequential(*parts)
                with torch.no_grad():
                    shape = tuple(mod(torch.zeros(1, *ins[0])).shape[1:])
            elif cls == "GlobalAveragePooling2D":
                mod, shape = nn.AdaptiveAvgPool2d(1), (ins[0][0],)
            elif cls == "Flatten":
                mod, shape = nn.Flatten(), (int(torch.tensor(ins[0]).prod()),)
            elif cls == "Dropout":
                mod, shape = nn.Dropout(cfg["rate"]), ins[0]
            else:
                raise ValueError("keras-to-torch: unsupported layer " + cls)
            if mod is not None:
                self.mods[key] = mod
            shapes[key] = shape
        outs = config["output_layers"]
        self.output = outs[0][0].replace("/", "__").replace(".", "_")

    def forward(self, x):
        values = {}
        for key in self.order:
            srcs = self.inbound[key]
            ins = [values[s] for s in srcs] if srcs else [x]
            if key in self.mods:
                y = self.mods[key](ins[0])
                if isinstance(self.mods[key], nn.AdaptiveAvgPool2d):
                    y = y.flatten(1)
            else:  # Add
                y = ins[0]
                for other in ins[1:]:
                    y = y + other
            values[key] = y
        return values[self.output]


def build(topology_path, input_shape):
    with open(topology_path) as f:
        topology = json.load(f)
    return KerasGraph(topology, input_shape)
