package org.mlmspark.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.mlmspark.model.blocks.NamedParameter.Role;

/**
 * A DJL block whose children and parameters carry their Hugging Face names, so that the checkpoint name of every
 * tensor is the path of names from the root (what {@code nn.Module.named_parameters()} does in PyTorch).
 *
 * <p>A child name may be dotted ({@code attention.self.query}) or empty: pieces that HF nests differently in
 * different families (DistilBERT keeps the attention LayerNorm beside the attention module, BERT inside it) are
 * then the same Java class, and the family only states the names.
 */
public abstract class HfBlock extends AbstractBlock {

  private record Entry(String name, Object item, Shape inputShape) {}

  private final List<Entry> entries = new ArrayList<>();
  private final Map<Parameter, NamedParameter.Role> roles = new IdentityHashMap<>();
  private final Map<Parameter, Integer> paddingRows = new IdentityHashMap<>();

  /** Registers a piece of the network under its HF name (empty: its tensors sit directly under this block). */
  protected final <B extends HfBlock> B child(String name, B block) {
    addChildBlock(name.isEmpty() ? block.getClass().getSimpleName() : name, block);
    entries.add(new Entry(name, block, null));
    return block;
  }

  /** A DJL {@link Linear} with PyTorch's weight layout [out, in], under HF name {@code name}. */
  protected final Linear linear(String name, int inFeatures, int outFeatures) {
    Linear linear = Linear.builder().setUnits(outFeatures).optBias(true).build();
    addChildBlock(name, linear);
    entries.add(new Entry(name, linear, new Shape(1, inFeatures)));
    return linear;
  }

  /**
   * A DJL {@link LayerNorm} over the last {@code size} features. Initialised on a [1, size] input with axis 1
   * (DJL rejects negative axes); at run time PyTorch's layer_norm normalises the trailing dimension whatever the
   * rank.
   */
  protected final LayerNorm layerNorm(String name, int size, float eps) {
    LayerNorm norm = LayerNorm.builder().axis(1).optEpsilon(eps).build();
    addChildBlock(name, norm);
    entries.add(new Entry(name, norm, new Shape(1, size)));
    return norm;
  }

  /** A tensor held directly by this block (embedding tables, the LM head's output bias). */
  protected final Parameter tensor(String name, Shape shape, Role role, int paddingRow) {
    Parameter parameter = Parameter.builder()
        .setName(name)
        .setType(role == Role.BIAS ? Parameter.Type.BIAS : Parameter.Type.WEIGHT)
        .optShape(shape)
        .build();
    addParameter(parameter);
    roles.put(parameter, role);
    paddingRows.put(parameter, paddingRow);
    entries.add(new Entry(name, parameter, null));
    return parameter;
  }

  /** Every tensor under this block with its HF name, in registration order (as PyTorch lists them). */
  public final List<NamedParameter> namedParameters(String prefix) {
    List<NamedParameter> out = new ArrayList<>();
    for (Entry entry : entries) {
      String name = prefix + entry.name;
      if (entry.item instanceof HfBlock block) {
        out.addAll(block.namedParameters(entry.name.isEmpty() ? prefix : name + "."));
      } else if (entry.item instanceof Linear linear) {
        PairList<String, Parameter> p = linear.getParameters();
        out.add(new NamedParameter(name + ".weight", p.get("weight"), Role.LINEAR_WEIGHT, -1));
        out.add(new NamedParameter(name + ".bias", p.get("bias"), Role.BIAS, -1));
      } else if (entry.item instanceof LayerNorm norm) {
        // DJL calls LayerNorm's affine parameters gamma/beta; PyTorch calls them weight/bias.
        PairList<String, Parameter> p = norm.getParameters();
        out.add(new NamedParameter(name + ".weight", p.get("gamma"), Role.NORM_WEIGHT, -1));
        out.add(new NamedParameter(name + ".bias", p.get("beta"), Role.BIAS, -1));
      } else if (entry.item instanceof Parameter parameter) {
        out.add(new NamedParameter(name, parameter, roles.get(parameter), paddingRows.get(parameter)));
      }
    }
    return out;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Entry entry : entries) {
      if (entry.item instanceof Block block) {
        block.initialize(manager, dataType, entry.inputShape == null ? inputShapes : new Shape[] {entry.inputShape});
      }
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }

  /** Pieces are called through their typed {@code forward} methods; the NDList entry point is the model's. */
  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " is called through its typed forward");
  }

  protected static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training) {
    return block.forward(ps, new NDList(x), training).singletonOrThrow();
  }
}
